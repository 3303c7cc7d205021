module "x" {
  source  = "hashicorp/consul/aws//modules/agent"
  version = "1.2.0"
}
