variable "name" {
  type    = string
  default = "default"
}
output "name" {
  value = var.name
}
