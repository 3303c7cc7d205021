provider "aws" {
  region = "x"
}

mock_provider "random" {}

mock_provider "aws" {
  alias = "mocked"
}

run "check_bucket" {
  command = plan

  assert {
    condition     = output.bucket == "example"
    error_message = "unexpected bucket"
  }
}
