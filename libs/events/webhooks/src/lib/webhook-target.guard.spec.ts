import { checkWebhookTarget, isPublicAddress, WebhookTargetRefusedError } from './webhook-target.guard';

describe('the webhook target guard', () => {
  it.each([
    ['127.0.0.1'],
    ['10.1.2.3'],
    ['172.16.0.1'],
    ['192.168.1.1'],
    ['169.254.169.254'],
    ['100.100.100.200'],
    ['0.0.0.0'],
    ['224.0.0.1'],
    ['::1'],
    ['fd00:ec2::254'],
    ['fe80::1'],
    ['::ffff:127.0.0.1'],
    ['::ffff:169.254.169.254'],
  ])('when an address is %s, then it is not public', (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each([['93.184.216.34'], ['8.8.8.8'], ['2606:4700:4700::1111']])('when an address is %s, then it is public', (address) => {
    expect(isPublicAddress(address)).toBe(true);
  });

  it('when a URL names a loopback or metadata host, then it is refused unless private targets are allowed', async () => {
    await expect(checkWebhookTarget('http://127.0.0.1:9/hook', false)).rejects.toThrow(/127\.0\.0\.1, which is not a public address/);
    await expect(checkWebhookTarget('http://169.254.169.254/latest/meta-data', false)).rejects.toBeInstanceOf(WebhookTargetRefusedError);
    await expect(checkWebhookTarget('http://[::1]:8080/', false)).rejects.toThrow(/::1/);
    await expect(checkWebhookTarget('http://localhost:9/hook', false)).rejects.toThrow(/not a public address/);
    await expect(checkWebhookTarget('http://127.0.0.1:9/hook', true)).resolves.toMatchObject({ address: '127.0.0.1', family: 4 });
  });

  it('when a URL is not http(s) or its host does not resolve, then it is refused', async () => {
    await expect(checkWebhookTarget('ftp://example.com/', true)).rejects.toThrow('must be an http or https URL');
    await expect(checkWebhookTarget('http://no-such-host.invalid/', true)).rejects.toThrow(/does not resolve/);
  });
});
