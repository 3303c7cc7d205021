module "x" {
  source = "./modules/foo"
}
