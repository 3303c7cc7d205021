auto_order = "c.auto.tfvars"
