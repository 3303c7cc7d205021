variable "domain" {
  type = string
}

# The certificate is created with the default provider, which runs in the
# primary region; CloudFront only accepts certificates from us-east-1.
resource "aws_acm_certificate" "site" {
  domain_name       = var.domain
  validation_method = "DNS"
}

resource "aws_s3_bucket" "origin" {
  bucket = "acme-${var.domain}-origin"
}

resource "aws_cloudfront_distribution" "site" {
  enabled = true
  aliases = [var.domain]

  origin {
    domain_name = aws_s3_bucket.origin.bucket_regional_domain_name
    origin_id   = "s3"
  }

  default_cache_behavior {
    allowed_methods        = ["GET", "HEAD"]
    cached_methods         = ["GET", "HEAD"]
    target_origin_id       = "s3"
    viewer_protocol_policy = "redirect-to-https"
  }

  restrictions {
    geo_restriction {
      restriction_type = "none"
    }
  }

  viewer_certificate {
    acm_certificate_arn = aws_acm_certificate.site.arn
    ssl_support_method  = "sni-only"
  }
}
