/**
 * The standalone page: the built site (website/dist) in a private S3 bucket, served by CloudFront
 * through origin access control. The deployment writes the API's invoke URL into index.html as
 * `<meta name="reelsense-api-url">`, which website/src/settings.ts reads as the page's default (public-api/api-url.ts names it).
 * CloudFront's access logs and the page bucket's server access logs go to a logs bucket (30 days).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { NagSuppressions } from 'cdk-nag';
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
  /** CloudFront's access logs (`cloudfront/`) and the page bucket's server access logs (`s3/`). */
  readonly logsBucket: s3.Bucket;
  readonly distribution: cloudfront.Distribution;

  constructor(scope: Construct, id: string, props: WebsiteStackProps) {
    super(scope, id, props);
    const indexHtml = readIndexHtml(props.siteDir);

    this.logsBucket = this.createLogsBucket();
    this.bucket = new s3.Bucket(this, 'SiteBucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: s3.BucketEncryption.S3_MANAGED,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      // Only built files live here: `npm run destroy` removes them with the bucket.
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: true,
      serverAccessLogsBucket: this.logsBucket as s3.IBucket,
      serverAccessLogsPrefix: 's3/',
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
      enableLogging: true,
      logBucket: this.logsBucket as s3.IBucket,
      logFilePrefix: 'cloudfront/',
    });
    this.suppressDistributionFindings();
    const deployment = new s3deploy.BucketDeployment(this, 'Deploy', {
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
    this.suppressDeploymentFindings(deployment);

    new CfnOutput(this, 'SiteUrl', {
      value: `https://${this.distribution.distributionDomainName}`,
      description: 'The ReelSense web page',
    });
    new CfnOutput(this, 'BucketName', { value: this.bucket.bucketName, description: 'Where the page files live' });
  }

  /**
   * Private, TLS only, emptied and removed by `npm run destroy`, each log kept 30 days. CloudFront's
   * standard logs are written with an ACL grant, so this bucket keeps ACLs (object writer owns the
   * object); all public access stays blocked.
   */
  private createLogsBucket(): s3.Bucket {
    const bucket = new s3.Bucket(this, 'LogsBucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: s3.BucketEncryption.S3_MANAGED,
      objectOwnership: s3.ObjectOwnership.OBJECT_WRITER,
      lifecycleRules: [{ expiration: Duration.days(30) }],
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: true,
    });
    NagSuppressions.addResourceSuppressions(bucket, [
      {
        id: 'AwsSolutions-S1',
        reason: 'This is the access-log bucket: logging it would log its own log deliveries.',
      },
    ]);
    return bucket;
  }

  private suppressDistributionFindings(): void {
    NagSuppressions.addResourceSuppressions(this.distribution, [
      {
        id: 'AwsSolutions-CFR1',
        reason: 'The page is for everyone, everywhere: there is no country it must not be served in.',
      },
      {
        id: 'AwsSolutions-CFR2',
        reason:
          'No WAF web ACL: a static page of public files (GET and HEAD only, cached, no forms or cookies); ' +
          'a web ACL adds a monthly charge and protects nothing here. The API it calls is throttled.',
      },
      {
        id: 'AwsSolutions-CFR4',
        reason:
          'The distribution uses the default *.cloudfront.net certificate, for which CloudFront fixes the ' +
          'security policy (TLSv1) and allows no other. A custom domain with an ACM certificate would allow ' +
          'TLSv1.2_2021; the app has no domain.',
      },
    ]);
  }

  /**
   * BucketDeployment's handler is CDK's own singleton Lambda (function, role and policy), made from
   * what aws-cdk-lib ships: its runtime and grants change with aws-cdk-lib, not here. It runs only
   * during a deployment.
   */
  private suppressDeploymentFindings(deployment: s3deploy.BucketDeployment): void {
    const handler = deployment.handlerRole.node.scope;
    if (handler === undefined) throw new Error('WebsiteStack: the BucketDeployment handler has no scope.');
    const siteObjects = `Resource::<${this.getLogicalId(this.bucket.node.defaultChild as s3.CfnBucket)}.Arn>/*`;
    NagSuppressions.addResourceSuppressions(
      handler,
      [
        {
          id: 'AwsSolutions-L1',
          reason:
            "CDK's BucketDeployment handler: aws-cdk-lib picks its runtime (Python, with the AWS CLI layer) " +
            'and moves it forward with each release; it runs only while CloudFormation deploys the page.',
        },
        {
          id: 'AwsSolutions-IAM4',
          reason:
            "CDK's BucketDeployment handler writes its logs with AWSLambdaBasicExecutionRole, as CDK makes it; " +
            'the role belongs to that one function.',
          appliesTo: ['Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole'],
        },
        {
          id: 'AwsSolutions-IAM5',
          reason:
            "The action groups of CDK's grantRead (the staged page in the bootstrap asset bucket) and " +
            'grantReadWrite (the page bucket): the handler lists, reads, copies and prunes objects, and ' +
            'nothing outside those two buckets.',
          appliesTo: [
            'Action::s3:GetBucket*',
            'Action::s3:GetObject*',
            'Action::s3:List*',
            'Action::s3:Abort*',
            'Action::s3:DeleteObject*',
          ],
        },
        {
          id: 'AwsSolutions-IAM5',
          reason:
            "The objects of the CDK bootstrap asset bucket, where the page's zip is staged under a content " +
            'hash known only at synth, and of the page bucket, all of which the deployment replaces or prunes.',
          appliesTo: [
            {
              regex:
                '/^Resource::arn:<AWS::Partition>:s3:::cdk-[a-z0-9]+-assets-<AWS::AccountId>-<AWS::Region>\\/\\*$/',
            },
            siteObjects,
          ],
        },
        {
          id: 'AwsSolutions-IAM5',
          reason:
            'cloudfront:CreateInvalidation and GetInvalidation, which CDK grants on * to clear the cache after ' +
            'each deployment (the distribution is made in the same stack, after the handler role).',
          appliesTo: ['Resource::*'],
        },
      ],
      true,
    );
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
