package mediagate

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/mediagate-dev/mediagate/clients/go/mediagatev1"
)

// WatchReopens is how many times WatchDelivery opens the watch again after a stream that ended
// (or lost its connection) before a final state. WatchDelivery always starts with the current
// state, so a reopened watch misses nothing.
const WatchReopens = 3

// ErrWatchEnded is returned (wrapped, with the last state seen) when every watch of a delivery
// ended before a final state.
var ErrWatchEnded = errors.New("mediagate: the delivery watch ended before a final state")

// DeliverOptions are DeliverAttachment's optional fields.
type DeliverOptions struct {
	// Text goes with the attachment (at most 4096 bytes). UPLOAD sends it as a second message
	// after the media; OPEN_MESSAGING as the message's text.
	Text string
	// Sender is the Open Messaging guest the message is from: required by OPEN_MESSAGING,
	// ignored by UPLOAD.
	Sender *mediagatev1.OpenMessagingSender
}

// IsFinal reports whether state is one a delivery never leaves: DELIVERED, FAILED or CANCELLED.
func IsFinal(state mediagatev1.DeliveryState) bool {
	switch state {
	case mediagatev1.DeliveryState_DELIVERY_STATE_DELIVERED,
		mediagatev1.DeliveryState_DELIVERY_STATE_FAILED,
		mediagatev1.DeliveryState_DELIVERY_STATE_CANCELLED:
		return true
	}
	return false
}

// Deliver starts delivering the attachment called name ("attachments/{id}") into the Genesys
// Cloud conversation conversationID, and returns the Delivery as the server accepted it (PENDING,
// or further along for a repeated key). method may be DELIVERY_METHOD_UNSPECIFIED for the server's
// default; opts may be nil.
//
// The same idempotencyKey returns the same Delivery and sends nothing more, so a retry after an
// error or a timeout should reuse it; an empty key has the server make one (a retry is then a
// new delivery). A server without Genesys Cloud settings answers FAILED_PRECONDITION
// DELIVERY_NOT_CONFIGURED (see ErrorDetails).
func Deliver(ctx context.Context, client mediagatev1.AttachmentServiceClient, name, conversationID string, method mediagatev1.DeliveryMethod, idempotencyKey string, opts *DeliverOptions) (*mediagatev1.Delivery, error) {
	req := &mediagatev1.DeliverAttachmentRequest{
		Name:           name,
		ConversationId: conversationID,
		Method:         method,
		IdempotencyKey: idempotencyKey,
	}
	if opts != nil {
		req.Text = opts.Text
		req.Sender = opts.Sender
	}
	return client.DeliverAttachment(ctx, req)
}

// WatchDelivery follows the delivery called name ("deliveries/{id}") to its final state and
// returns that Delivery. onState, if not nil, is called with the current state first and then
// with each new state, in order (never twice in a row for the same state, also across reopened
// watches).
//
// A stream that ends without a final state, or loses its connection (UNAVAILABLE), is opened
// again up to WatchReopens times; after that the error is ErrWatchEnded, or the last
// UNAVAILABLE status. Any other stream error (NOT_FOUND DELIVERY_NOT_FOUND, the context's
// deadline, ...) is returned as is. A FAILED or CANCELLED delivery is not an error: check the
// returned Delivery's State and Failure.
//
// Following a delivery takes as long as the platform does: give ctx a generous deadline (the
// server's first delivery also waits for its Genesys SDK to load).
func WatchDelivery(ctx context.Context, client mediagatev1.AttachmentServiceClient, name string, onState func(*mediagatev1.Delivery)) (*mediagatev1.Delivery, error) {
	var last *mediagatev1.Delivery
	reported := mediagatev1.DeliveryState_DELIVERY_STATE_UNSPECIFIED
	for attempt := 0; ; attempt++ {
		final, err := watchOnce(ctx, client, name, func(d *mediagatev1.Delivery) {
			last = d
			if d.GetState() != reported {
				reported = d.GetState()
				if onState != nil {
					onState(d)
				}
			}
		})
		if final != nil {
			return final, nil
		}
		if err != nil && status.Code(err) != codes.Unavailable {
			return last, err
		}
		if ctx.Err() != nil {
			return last, status.FromContextError(ctx.Err()).Err()
		}
		if attempt == WatchReopens {
			if err != nil {
				return last, err
			}
			return last, fmt.Errorf("%w: %s is %v after %d watches", ErrWatchEnded, name, reported, attempt+1)
		}
		// A short pause before opening again, so a server that is restarting has a moment.
		select {
		case <-time.After(time.Duration(100<<attempt) * time.Millisecond):
		case <-ctx.Done():
			return last, status.FromContextError(ctx.Err()).Err()
		}
	}
}

// watchOnce reads one WatchDelivery stream, passing every Delivery to seen. It returns the
// final Delivery if the stream reached one; otherwise nil and the stream's error (nil for a
// stream that just ended).
func watchOnce(ctx context.Context, client mediagatev1.AttachmentServiceClient, name string, seen func(*mediagatev1.Delivery)) (*mediagatev1.Delivery, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel() // ends the stream once a final state is read
	stream, err := client.WatchDelivery(ctx, &mediagatev1.WatchDeliveryRequest{Name: name})
	if err != nil {
		return nil, err
	}
	for {
		d, err := stream.Recv()
		if err == io.EOF {
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		seen(d)
		if IsFinal(d.GetState()) {
			return d, nil
		}
	}
}

// DeliverAndWait is Deliver followed by WatchDelivery: it returns the delivery in its final
// state (DELIVERED, FAILED or CANCELLED), calling onState (if not nil) for each state on the way.
// An error from WatchDelivery is returned with the Delivery as last seen (at least as Deliver
// returned it), so the caller can watch it again by name.
func DeliverAndWait(ctx context.Context, client mediagatev1.AttachmentServiceClient, name, conversationID string, method mediagatev1.DeliveryMethod, idempotencyKey string, opts *DeliverOptions, onState func(*mediagatev1.Delivery)) (*mediagatev1.Delivery, error) {
	started, err := Deliver(ctx, client, name, conversationID, method, idempotencyKey, opts)
	if err != nil {
		return nil, err
	}
	final, err := WatchDelivery(ctx, client, started.GetName(), onState)
	if err != nil {
		if final == nil {
			final = started
		}
		return final, err
	}
	return final, nil
}
