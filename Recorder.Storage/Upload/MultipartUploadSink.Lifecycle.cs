namespace Recorder.Storage;

// Uploaders, checkpoints, completion, abort and disposal.
public sealed partial class MultipartUploadSink
{
    private async Task UploadLoopAsync()
    {
        try
        {
            await foreach (var part in _parts.Reader.ReadAllAsync(_stop.Token).ConfigureAwait(false))
            {
                Interlocked.Increment(ref _inFlight);
                try
                {
                    var content = part.Content();
                    var md5 = ContentMd5.Of(content);
                    var etag = await _retry.ExecuteAsync($"{Upload}: UploadPart {part.Number}",
                        ct => _store.UploadPartAsync(Upload, part.Number, content, md5, ct), _stop.Token).ConfigureAwait(false);
                    lock (_gate)
                    {
                        _uploaded[part.Number] = new UploadedPart(part.Number, etag, part.Length, md5);
                        _uploadedBytes += part.Length;
                        _buffered -= part.Length;
                    }
                    PartStored(part.Number);
                }
                catch (Exception e) when (e is not OperationCanceledException || !_stop.IsCancellationRequested)
                {
                    // Fail before the blocks go back: a writer waiting for memory must see the error, not the blocks.
                    Fail(e);
                    return;
                }
                finally
                {
                    Interlocked.Decrement(ref _inFlight);
                    _pool.Return(part.Blocks);
                }
                await SaveCheckpointAsync(UploadCheckpointStatus.Uploading, _stop.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Stopped by a failure elsewhere, an abort or disposal.
        }
        catch (Exception e)
        {
            Fail(e);
        }
    }

    private async Task SaveCheckpointAsync(UploadCheckpointStatus status, CancellationToken cancellationToken)
    {
        if (_stateStore is null) return;
        await _checkpointGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            UploadedPart[] parts;
            lock (_gate) parts = [.. _uploaded.Values];
            await _stateStore.SaveAsync(new UploadCheckpoint
            {
                Destination = _destination, UploadId = Upload.UploadId, Status = status, Parts = parts,
            }, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _checkpointGate.Release();
        }
    }

    /// <summary>
    /// Sends the last (short) part, waits for every part, completes the upload and
    /// returns the object. An empty stream gives an empty object.
    /// </summary>
    public async Task<UploadResult> CompleteAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfNotWritable();
        _state = State.Completing;
        try
        {
            if (_current is { Length: > 0 } || _nextPartNumber == 1)
            {
                await SealCurrentAsync(cancellationToken).ConfigureAwait(false);
            }
            else if (_current is { } unused)
            {
                _current = null;
                _pool.Return(unused.Blocks);
            }
            _parts.Writer.TryComplete();
            await Task.WhenAll(_uploaders).WaitAsync(cancellationToken).ConfigureAwait(false);
            ThrowIfFailed();

            UploadedPart[] parts;
            lock (_gate) parts = [.. _uploaded.Values];
            var etag = await CompleteWithRetryAsync(parts, cancellationToken).ConfigureAwait(false);
            await EnsureTagsAsync(cancellationToken).ConfigureAwait(false);
            await RemoveTailPiecesAsync().ConfigureAwait(false);
            _state = State.Completed;
            _pool.Clear();
            await SaveCheckpointAsync(UploadCheckpointStatus.Completed, cancellationToken).ConfigureAwait(false);
            return new UploadResult(Upload.Bucket, Upload.Key, Upload.UploadId, etag, parts.Sum(p => p.SizeBytes), parts.Length);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Fail(e);
            throw;
        }
    }

    private async Task<string> CompleteWithRetryAsync(UploadedPart[] parts, CancellationToken cancellationToken)
    {
        var attempts = 0;
        try
        {
            return await _retry.ExecuteAsync($"{Upload}: CompleteMultipartUpload", ct =>
            {
                attempts++;
                return _store.CompleteMultipartUploadAsync(Upload, parts, ct);
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (MultipartUploadNotFoundException) when (attempts > 1)
        {
            // An earlier attempt may have completed it and lost the answer: the object's ETag tells.
            var expected = ContentMd5.MultipartETag(parts.Select(p => p.ContentMd5!).ToList());
            var head = await _retry.ExecuteAsync($"{Upload}: HeadObject",
                ct => _store.HeadObjectAsync(Upload.Bucket, Upload.Key, ct), cancellationToken).ConfigureAwait(false);
            if (head is not null && head.ETag == expected) return head.ETag;
            throw;
        }
    }

    /// <summary>Ceph Pacific ignores tags given to CreateMultipartUpload: check, and put them when missing.</summary>
    private async Task EnsureTagsAsync(CancellationToken cancellationToken)
    {
        if (_destination.Tags.Count == 0) return;
        var existing = await _retry.ExecuteAsync($"{Upload}: GetObjectTagging",
            ct => _store.GetObjectTagsAsync(Upload.Bucket, Upload.Key, ct), cancellationToken).ConfigureAwait(false);
        if (_destination.Tags.All(t => existing.TryGetValue(t.Key, out var v) && v == t.Value)) return;
        var merged = new Dictionary<string, string>(existing, StringComparer.Ordinal);
        foreach (var (k, v) in _destination.Tags) merged[k] = v;
        await _retry.ExecuteAsync($"{Upload}: PutObjectTagging",
            ct => _store.PutObjectTagsAsync(Upload.Bucket, Upload.Key, merged, ct), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops the uploaders and aborts the multipart upload (its parts are deleted on S3).</summary>
    public async Task AbortAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_state == State.Completed) throw new InvalidOperationException($"{_destination}: the upload is already completed");
            if (_state == State.Aborted) return;
            _state = State.Aborted;
        }
        Fail(new InvalidOperationException($"{_destination}: the upload was aborted"));
        await Task.WhenAll(_uploaders).ConfigureAwait(false);
        _current = null;
        _pool.Clear();
        if (Upload is null) return;
        try
        {
            await _retry.ExecuteAsync($"{Upload}: AbortMultipartUpload",
                ct => _store.AbortMultipartUploadAsync(Upload, ct), cancellationToken).ConfigureAwait(false);
        }
        catch (MultipartUploadNotFoundException)
        {
            // Already gone: that is what abort wants.
        }
        await RemoveTailPiecesAsync().ConfigureAwait(false);
        await SaveCheckpointAsync(UploadCheckpointStatus.Aborted, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops the uploaders; an upload neither completed nor aborted stays on S3 for recovery.</summary>
    public async ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            if (_state == State.Disposed) return;
            if (_state is State.Open or State.Completing) _state = State.Disposed;
        }
        Fail(new ObjectDisposedException(nameof(MultipartUploadSink)));
        await Task.WhenAll(_uploaders).ConfigureAwait(false);
        // Pieces already queued are still stored: they are what recovery needs of an upload left behind.
        await StopTailWriterAsync().ConfigureAwait(false);
        _current = null;
        _pool.Clear();
    }
}
