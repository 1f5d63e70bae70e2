using Amazon.KeyManagementService;

namespace Recorder.Crypto.Recipients;

/// <summary>How a KMS recipient reaches KMS. The client's credentials need <c>kms:Encrypt</c> only.</summary>
public sealed record KmsRecipientOptions
{
    public required IAmazonKeyManagementService Client { get; init; }
}
