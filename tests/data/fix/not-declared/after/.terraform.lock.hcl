# This file is maintained automatically by "terraform init".
# Manual edits may be lost in future updates.

provider "registry.terraform.io/hashicorp/random" {
  version     = "3.6.0"
  constraints = "~> 3.6"
  hashes = [
    "h1:Nv4BSK2qYqOdygodTk9Lm7HEMu0Z5mTecPPsf5BQe48=",
  ]
}
