terraform {
  required_providers {
    random = { source = "hashicorp/random", version = "~> 3.6" }
  }
  backend "s3" {}
}

resource "random_id" "x" {
  byte_length = 4
}
