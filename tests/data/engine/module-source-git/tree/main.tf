module "x" {
  source = "git::https://example.com/x.git"
}
