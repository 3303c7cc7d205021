# This file is maintained automatically by "terraform init".
# Manual edits may be lost in future updates.

provider "registry.terraform.io/hashicorp/aws" {
  version     = "5.31.0"
  constraints = "~> 5.31"
  hashes = [
    "h1:1GqUljSjUINXMEbqXtyriIaoG0YVzjtarG3bmV1lnpM=",
  ]
}

provider "registry.terraform.io/hashicorp/random" {
  version     = "3.6.0"
  constraints = "~> 3.6"
  hashes = [
    "h1:Nv4BSK2qYqOdygodTk9Lm7HEMu0Z5mTecPPsf5BQe48=",
  ]
}
