module "x" {
  source = "template"
}
