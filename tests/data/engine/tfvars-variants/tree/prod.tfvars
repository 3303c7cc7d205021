prod = PLACEHOLDER
all  = "prod.tfvars"
