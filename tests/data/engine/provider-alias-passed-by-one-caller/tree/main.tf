terraform {
  required_providers {
    aws = {
      source = "hashicorp/aws"
    }
  }
}

provider "aws" {
  region = "eu-west-1"
}

provider "aws" {
  alias  = "master"
  region = "us-east-1"
}

module "child" {
  source = "./child"
  providers = {
    aws               = aws
    aws.region-master = aws.master
  }
}

module "other" {
  source = "./child"
}
