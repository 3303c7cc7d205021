variable "region" {}

variable "name" {}

resource "terraform_data" "here" {
  input = "${var.name} in ${var.region}"
}

output "region" {
  value = var.region
}

output "name" {
  value = var.name
}
