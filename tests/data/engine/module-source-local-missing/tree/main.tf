module "x" {
  source = "./modules/missing"
}
