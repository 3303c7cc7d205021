variable "src" {
  default = "./m"
}

locals {
  v = "5.1.0"
}

module "x" {
  source = var.src
}

module "y" {
  source  = "terraform-aws-modules/vpc/aws"
  version = local.v
}
