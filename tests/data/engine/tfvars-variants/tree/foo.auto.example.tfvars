example = PLACEHOLDER
all     = "foo.auto.example.tfvars"
