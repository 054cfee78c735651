package io.github.dgstream.bench;

import io.github.dgstream.internal.Transport;

/** A transport listener that passes every callback on; the harness's transport wrappers override what they time. */
class ForwardingListener implements Transport.Listener {
    private final Transport.Listener l;

    ForwardingListener(Transport.Listener l) {
        this.l = l;
    }

    @Override
    public void onOpen(Transport.Socket socket) {
        l.onOpen(socket);
    }

    @Override
    public void onText(String text) {
        l.onText(text);
    }

    @Override
    public void onBinary(long bytes) {
        l.onBinary(bytes);
    }

    @Override
    public void onPong() {
        l.onPong();
    }

    @Override
    public void onClose(int code, String reason) {
        l.onClose(code, reason);
    }

    @Override
    public void onError(Throwable error) {
        l.onError(error);
    }
}
