package mediagate

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"google.golang.org/grpc"
	"google.golang.org/protobuf/proto"

	"github.com/mediagate-dev/mediagate/clients/go/mediagatev1"
)

// ChunkSize is the size of every upload chunk but the last: the server's
// recommended_chunk_size_bytes and also its max_chunk_size_bytes (1 MiB, see ListProfiles).
const ChunkSize = 1 << 20

// ErrDigestMismatch is returned (wrapped, together with the attachment) when the server's
// sha256 of an upload or download differs from the digest computed on this side.
var ErrDigestMismatch = errors.New("mediagate: sha256 mismatch")

// Upload streams r to the server: the header first, then chunks of ChunkSize bytes, with
// never more than one chunk in memory. It computes the sha256 of the bytes while reading and,
// once the server has accepted them, checks it against the attachment's (ErrDigestMismatch).
// When header.Sha256 is set, the attachment must carry that digest instead: the server verifies
// it (CHECKSUM_MISMATCH), and may answer a repeated idempotency key from the header alone, before
// the client has sent every byte. A repeated key with other bytes is an error from the server
// (ALREADY_EXISTS IDEMPOTENCY_KEY_REUSED), never another file.
//
// A refused file is a gRPC error (INVALID_ARGUMENT); read its reasons with ErrorDetails.
func Upload(ctx context.Context, client mediagatev1.AttachmentServiceClient, r io.Reader, header *mediagatev1.UploadHeader) (*mediagatev1.Attachment, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stream, err := client.Upload(ctx)
	if err != nil {
		return nil, err
	}
	att, digest, err := sendAll(stream, cancel, r, header)
	if err != nil {
		return nil, err
	}
	if declared := header.GetSha256(); declared != "" {
		digest = declared
	}
	if digest != "" && att.GetSha256() != digest {
		return att, fmt.Errorf("%w: uploaded bytes hash to %s, the server stored %s", ErrDigestMismatch, digest, att.GetSha256())
	}
	return att, nil
}

// UploadFile uploads the file at path. The header may be nil; an empty FileName is filled
// with the file's base name and a zero DeclaredSizeBytes with its size. The caller's header
// is not modified.
func UploadFile(ctx context.Context, client mediagatev1.AttachmentServiceClient, path string, header *mediagatev1.UploadHeader) (*mediagatev1.Attachment, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	h := &mediagatev1.UploadHeader{}
	if header != nil {
		h = proto.CloneOf(header)
	}
	if h.FileName == "" {
		h.FileName = filepath.Base(path)
	}
	if h.DeclaredSizeBytes == 0 {
		h.DeclaredSizeBytes = info.Size()
	}
	return Upload(ctx, client, f, h)
}

// Validate runs the same intake and checks as Upload without storing anything. A refused
// file is an answer (Verdict.Accepted false, Verdict.Rejections), not an error; errors are
// protocol misuse or load.
func Validate(ctx context.Context, client mediagatev1.AttachmentServiceClient, r io.Reader, header *mediagatev1.UploadHeader) (*mediagatev1.Verdict, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stream, err := client.Validate(ctx)
	if err != nil {
		return nil, err
	}
	verdict, _, err := sendAll(stream, cancel, r, header)
	return verdict, err
}

// sendAll sends the header and then r in ChunkSize chunks, and returns the server's answer
// with the hex sha256 of everything read, or "" when the server ended the stream before r was
// exhausted (it stops reading as soon as the bytes decide a refusal). cancel cancels the
// stream's context.
func sendAll[Res any](stream grpc.ClientStreamingClient[mediagatev1.UploadRequest, Res], cancel context.CancelFunc, r io.Reader, header *mediagatev1.UploadHeader) (*Res, string, error) {
	if header == nil {
		header = &mediagatev1.UploadHeader{}
	}
	if err := stream.Send(&mediagatev1.UploadRequest{Content: &mediagatev1.UploadRequest_Header{Header: header}}); err != nil {
		return closeAfterSendError(stream, err)
	}
	hash := sha256.New()
	for {
		// A fresh buffer per chunk: gRPC may still hold a sent message after Send returns.
		buf := make([]byte, ChunkSize)
		n, readErr := io.ReadFull(r, buf)
		if n > 0 {
			hash.Write(buf[:n])
			if err := stream.Send(&mediagatev1.UploadRequest{Content: &mediagatev1.UploadRequest_Chunk{Chunk: buf[:n]}}); err != nil {
				return closeAfterSendError(stream, err)
			}
		}
		if readErr == io.EOF || readErr == io.ErrUnexpectedEOF {
			break
		}
		if readErr != nil {
			// Cancel the call rather than close the stream, which would have the server judge
			// (and maybe keep) a partial file; it keeps nothing of a cancelled one.
			cancel()
			return nil, "", fmt.Errorf("mediagate: reading the upload: %w", readErr)
		}
	}
	res, err := stream.CloseAndRecv()
	if err != nil {
		return nil, "", err
	}
	return res, hex.EncodeToString(hash.Sum(nil)), nil
}

// closeAfterSendError turns a failed Send into the call's result. io.EOF from Send means the
// server has already answered (typically a refusal decided by the first bytes); the answer is
// read with CloseAndRecv.
func closeAfterSendError[Res any](stream grpc.ClientStreamingClient[mediagatev1.UploadRequest, Res], sendErr error) (*Res, string, error) {
	if sendErr != io.EOF {
		return nil, "", sendErr
	}
	res, err := stream.CloseAndRecv()
	return res, "", err
}
