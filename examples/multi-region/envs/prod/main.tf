module "network" {
  source = "../../modules/network"

  cidr_block = "10.10.0.0/16"
  name       = "prod"
}

module "network_dr" {
  source = "../../modules/network"
  providers = {
    aws = aws.west
  }

  cidr_block = "10.20.0.0/16"
  name       = "prod-dr"
}

module "cdn" {
  source = "../../modules/cdn"
  providers = {
    aws           = aws
    aws.us_east_1 = aws.us_east_1
  }

  domain = var.domain
}

module "dns" {
  source = "terraform-aws-modules/route53/aws//modules/zones"

  zones = {
    (var.domain) = {}
  }
}
