module "x" {
  source  = "./modules/foo"
  version = "1.2.0"
}
