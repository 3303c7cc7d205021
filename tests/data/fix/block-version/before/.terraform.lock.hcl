# This file is maintained automatically by "terraform init".
# Manual edits may be lost in future updates.

provider "registry.terraform.io/hashicorp/aws" {
  version     = "5.1.0"
  constraints = ">= 5.0.0, < 5.31.0"
  hashes = [
    "h1:G60Gd/p4o5NJG+wsWbLZJ2v6tG3EyCGBjkrv9yCjj9A=",
  ]
}
