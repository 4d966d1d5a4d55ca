/**
 * The standalone page: the built site (website/dist) in a private S3 bucket, served by CloudFront
 * through origin access control. The deployment writes the API's invoke URL into index.html as
 * `<meta name="reelsense-api-url">`, which website/src/settings.ts reads as the page's default (public-api/api-url.ts names it).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CfnOutput, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import type { Construct } from 'constructs';
import { API_URL_META_NAME } from '../../../public-api/api-url.ts';

export interface WebsiteStackProps extends StackProps {
  /** The API's invoke URL (ApiStack), resolved at deploy time. */
  readonly apiUrl: string;
  /** The built page: `npm run web:build` writes website/dist. */
  readonly siteDir: string;
  /** Default PRICE_CLASS_100 (North America and Europe edge locations: the cheapest). */
  readonly priceClass?: cloudfront.PriceClass;
}

// `as s3.IBucket` below: aws-cdk-lib's classes declare optional members as `T | undefined`, which
// exactOptionalPropertyTypes does not accept for their own interfaces' `member?: T`.
export class WebsiteStack extends Stack {
  readonly bucket: s3.Bucket;
  readonly distribution: cloudfront.Distribution;

  constructor(scope: Construct, id: string, props: WebsiteStackProps) {
    super(scope, id, props);
    const indexHtml = readIndexHtml(props.siteDir);

    this.bucket = new s3.Bucket(this, 'SiteBucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: s3.BucketEncryption.S3_MANAGED,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      // Only built files live here: `npm run destroy` removes them with the bucket.
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: true,
    });
    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'ReelSense website',
      defaultRootObject: 'index.html',
      priceClass: props.priceClass ?? cloudfront.PriceClass.PRICE_CLASS_100,
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket as s3.IBucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: cloudfront.ResponseHeadersPolicy.SECURITY_HEADERS,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
        compress: true,
      },
    });
    new s3deploy.BucketDeployment(this, 'Deploy', {
      sources: [
        s3deploy.Source.asset(props.siteDir, { exclude: ['index.html'] }),
        // The API URL is a deploy-time value: CDK fills it into this file during the deployment.
        s3deploy.Source.data('index.html', withApiUrl(indexHtml, props.apiUrl)),
      ],
      destinationBucket: this.bucket as s3.IBucket,
      // A new deployment is seen at once, not after the edge caches expire.
      distribution: this.distribution,
      distributionPaths: ['/*'],
    });

    new CfnOutput(this, 'SiteUrl', {
      value: `https://${this.distribution.distributionDomainName}`,
      description: 'The ReelSense web page',
    });
    new CfnOutput(this, 'BucketName', { value: this.bucket.bucketName, description: 'Where the page files live' });
  }
}

function readIndexHtml(siteDir: string): string {
  try {
    return readFileSync(join(siteDir, 'index.html'), 'utf8');
  } catch {
    throw new Error(
      `WebsiteStack: ${join(siteDir, 'index.html')} is missing. Build the page first: npm run web:build.`,
    );
  }
}

/** The page with the API URL as a meta tag at the end of its head (the URL is escaped for an attribute). */
export function withApiUrl(html: string, apiUrl: string): string {
  if (!html.includes('</head>')) throw new Error('WebsiteStack: index.html has no </head> to put the API URL before.');
  const content = apiUrl.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  return html.replace('</head>', () => `  <meta name="${API_URL_META_NAME}" content="${content}" />\n  </head>`);
}
