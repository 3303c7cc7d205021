# Primary region for the platform.
provider "aws" {
  region = var.primary_region
}

# Disaster-recovery copy of the network.
provider "aws" {
  alias  = "west"
  region = "us-east-1"
}

# CloudFront certificates must live in us-east-1.
provider "aws" {
  alias  = "us_east_1"
  region = "us-east-1"
}
