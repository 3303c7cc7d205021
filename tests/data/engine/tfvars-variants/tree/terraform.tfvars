all         = "terraform.tfvars"
tf_pair     = "terraform.tfvars"
only_tfvars = "terraform.tfvars"
