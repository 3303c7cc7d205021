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

# Nightly backups, copied to the disaster-recovery vault.
resource "aws_backup_plan" "nightly" {
  name = "prod-nightly"

  rule {
    rule_name         = "nightly"
    target_vault_name = "prod"
    schedule          = "cron(0 3 * * ? *)"

    copy_action {
      destination_vault_arn = "arn:aws:backup:us-west-2:111122223333:backup-vault:prod-dr"
    }
  }
}
