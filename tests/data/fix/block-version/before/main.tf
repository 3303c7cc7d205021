terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.0"
    }
  }
  backend "s3" {}
}

provider "aws" {
  region  = "eu-west-1"
  version = "< 5.31"
}

resource "aws_s3_bucket" "logs" {
  bucket = "acme-logs"
}
