provider "aws" {
  version = "~> 5.1"
  region  = "eu-west-1"
}
