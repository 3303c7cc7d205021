terraform {
  backend "s3" {}
}

resource "random_id" "x" {
  byte_length = 4
}
