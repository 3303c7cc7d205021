module "network" {
  source = "../../modules/netwrok"

  cidr_block = "10.30.0.0/16"
  name       = "staging"
}
