package mediagate

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/mediagate-dev/mediagate/clients/go/mediagatev1"
)

// DownloadTo streams the attachment called name ("attachments/{id}") into w and returns it.
// The bytes are hashed as they are written and checked against the attachment's size and
// sha256 at the end (ErrDigestMismatch). For a byte range, call client.Download with
// read_offset and read_limit directly.
func DownloadTo(ctx context.Context, client mediagatev1.AttachmentServiceClient, name string, w io.Writer) (*mediagatev1.Attachment, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel() // stops the stream if w fails mid-way
	stream, err := client.Download(ctx, &mediagatev1.DownloadRequest{Name: name})
	if err != nil {
		return nil, err
	}
	var att *mediagatev1.Attachment
	hash := sha256.New()
	var written int64
	for {
		res, err := stream.Recv()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if att == nil {
			att = res.GetAttachment()
		}
		if _, err := w.Write(res.GetData()); err != nil {
			return nil, fmt.Errorf("mediagate: writing %s: %w", name, err)
		}
		hash.Write(res.GetData())
		written += int64(len(res.GetData()))
	}
	if att == nil {
		return nil, fmt.Errorf("mediagate: download of %s ended without its attachment", name)
	}
	if written != att.GetSizeBytes() {
		return att, fmt.Errorf("%w: received %d bytes of %s, the attachment has %d", ErrDigestMismatch, written, name, att.GetSizeBytes())
	}
	if digest := hex.EncodeToString(hash.Sum(nil)); digest != att.GetSha256() {
		return att, fmt.Errorf("%w: %s received as %s, stored as %s", ErrDigestMismatch, name, digest, att.GetSha256())
	}
	return att, nil
}

// DownloadFile downloads the attachment called name to path, through a temporary file in the
// same folder that is renamed into place only once every byte has arrived and checked out.
// The file is created with mode 0600 (guests' files are private); chmod it to share it.
func DownloadFile(ctx context.Context, client mediagatev1.AttachmentServiceClient, name, path string) (*mediagatev1.Attachment, error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.part")
	if err != nil {
		return nil, err
	}
	att, err := DownloadTo(ctx, client, name, tmp)
	if err == nil {
		err = tmp.Sync()
	}
	if closeErr := tmp.Close(); err == nil {
		err = closeErr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return att, err
	}
	return att, nil
}
