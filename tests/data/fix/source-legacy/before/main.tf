terraform {
  required_providers {
    aws = "~> 5.1"
  }
  backend "s3" {}
}

resource "aws_s3_bucket" "logs" {
  bucket = "acme-logs"
}
