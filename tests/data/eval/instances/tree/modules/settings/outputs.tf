output "regions" {
  value = ["eu-west-1", "eu-central-1"]
}

output "primary" {
  value = "eu-west-1"
}
