root = true

# Data residency: customer data stays in the EU. us-east-1 is allowed only
# for the global services that require it (CloudFront certificates).
policy {
  allowed_regions   = ["eu-*", "us-east-1"]
  terraform_version = "1.11.4"
}
