terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }
}

variable "bucket" {
  type    = string
  default = "example"
}

output "bucket" {
  value = var.bucket
}
