variable "bucket_regions" {
  default = {
    logs   = "eu-west-1"
    backup = "us-east-2"
  }
}

variable "enabled" {
  default = false
}

locals {
  regions = module.settings.regions
}

module "settings" {
  source = "./modules/settings"
}

module "wrap" {
  source = "./modules/wrap"
}

module "stack" {
  source   = "./modules/stack"
  for_each = toset(local.regions)
  region   = each.value
  name     = "${each.key}-x"
}

module "counted" {
  source = "./modules/stack"
  count  = 2
  region = count.index == 0 ? "eu-west-1" : "eu-north-1"
  name   = "c${count.index}"
}

module "disabled" {
  source = "./modules/stack"
  count  = var.enabled ? 1 : 0
  region = "us-west-1"
  name   = "never"
}

resource "terraform_data" "copies" {
  for_each = var.bucket_regions
  input = {
    key    = each.key
    region = each.value
  }
}

resource "terraform_data" "queues" {
  count = 3
  input = ["eu-north-1", "eu-south-1", "eu-west-3"][count.index]
}

resource "terraform_data" "off" {
  count = 0
  input = "never"
}

resource "terraform_data" "set" {
  for_each = toset(["b", "a", "b"])
  input    = "${each.key}=${each.value}"
}

resource "terraform_data" "by_settings" {
  for_each = { for r in module.settings.regions : r => module.wrap.primary }
  input    = "${each.key} then ${each.value}"
}

output "from_stack" {
  value = { for k, m in module.stack : k => m.region }
}

output "counted_second" {
  value = module.counted[1].name
}

output "counted_all" {
  value = [for m in module.counted : m.region]
}

output "nested" {
  value = module.wrap.primary
}
