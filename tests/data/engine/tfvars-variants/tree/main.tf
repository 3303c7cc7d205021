variable "all" {
  type    = string
  default = "default"
}
variable "tf_pair" {
  type    = string
  default = "default"
}
variable "tf_vs_auto" {
  type    = string
  default = "default"
}
variable "auto_order" {
  type    = string
  default = "default"
}
variable "only_tfvars" {
  type    = string
  default = "default"
}
variable "example" {
  type    = string
  default = "default"
}
variable "prod" {
  type    = string
  default = "default"
}

locals {
  report = {
    all         = var.all
    tf_pair     = var.tf_pair
    tf_vs_auto  = var.tf_vs_auto
    auto_order  = var.auto_order
    only_tfvars = var.only_tfvars
    example     = var.example
    prod        = var.prod
  }
}

output "report" {
  value = local.report
}
