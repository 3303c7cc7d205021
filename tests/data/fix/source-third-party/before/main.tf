terraform {
  required_providers {
    datadog = {
      version = "~> 3.0"
    }
  }
  backend "s3" {}
}

resource "datadog_monitor" "cpu" {
  name = "cpu"
}
