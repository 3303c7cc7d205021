module "x" {
  source = "hashicorp/consul/aws"
}
