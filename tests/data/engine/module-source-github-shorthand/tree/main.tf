module "x" {
  source = "github.com/example/terraform-aws-foo"
}
