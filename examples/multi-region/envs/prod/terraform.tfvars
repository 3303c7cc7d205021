primary_region = "eu-central-1"
