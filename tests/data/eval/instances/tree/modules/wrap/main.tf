module "inner" {
  source = "../settings"
}

output "primary" {
  value = module.inner.primary
}
