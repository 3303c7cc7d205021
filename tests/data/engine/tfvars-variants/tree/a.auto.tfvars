all        = "a.auto.tfvars"
tf_vs_auto = "a.auto.tfvars"
auto_order = "a.auto.tfvars"
undeclared = "a.auto.tfvars"
