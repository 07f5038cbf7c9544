import { CfnCondition, Duration, Fn, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { CfnSubscription, Topic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

export interface NotificationsProps {
  /** An email address to subscribe, or an empty string for none (a CloudFormation parameter's value). */
  readonly email: string;
}

/**
 * The notification topic: execution outcomes (from the execution-events function) and alarms.
 * Encrypted with its own customer managed key, because CloudWatch alarms cannot publish to a topic
 * encrypted with the AWS managed SNS key; publishing over anything but TLS is denied.
 */
export class Notifications extends Construct {
  readonly topic: Topic;
  readonly key: Key;

  constructor(scope: Construct, id: string, props: NotificationsProps) {
    super(scope, id);
    this.key = new Key(this, 'Key', {
      description: 'drs-orchestrator: encrypts the notification topic',
      enableKeyRotation: true,
      // Only the topic uses it; once the stack is gone nothing is left to decrypt.
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
    // CloudWatch alarm actions publish to the encrypted topic with this key: only on behalf of an alarm of
    // this account and region (no confused deputy). The alarm's own ARN cannot be named here (the key
    // would depend on the alarm, which depends on the topic, which depends on the key).
    const { partition, region, account } = Stack.of(this);
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToPublish',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: {
          StringEquals: { 'aws:SourceAccount': account },
          ArnLike: { 'aws:SourceArn': `arn:${partition}:cloudwatch:${region}:${account}:alarm:*` },
        },
      }),
    );

    this.topic = new Topic(this, 'Topic', {
      displayName: 'DRS orchestrator',
      masterKey: this.key,
      enforceSSL: true,
    });

    // Subscribed only when an address is given; AWS then mails it a confirmation link.
    const hasEmail = new CfnCondition(this, 'HasEmail', {
      expression: Fn.conditionNot(Fn.conditionEquals(props.email, '')),
    });
    const subscription = new CfnSubscription(this, 'EmailSubscription', {
      topicArn: this.topic.topicArn,
      protocol: 'email',
      endpoint: props.email,
    });
    subscription.cfnOptions.condition = hasEmail;
  }
}
