"""scan: the malware scanner's verdict on the bytes as sent (a finishing step that judges).

It runs on an accepted file before any step that changes the bytes to keep (metadata
stripping), so clamd sees exactly what the guest sent, and for Validate too, where a hit is the
verdict.

    clamd says           the upload
    OK                   goes on
    <Signature> FOUND    refused MALWARE (metadata: signature); nothing kept
    no verdict           fail closed (the default): UNAVAILABLE SCANNER_UNAVAILABLE with
                         RetryInfo (metadata: why = unreachable | timeout | error); nothing kept.
                         fail open (MEDIAGATE_CLAMD_FAIL_OPEN=true): accepted unscanned, and a
                         warning logged per file with the running count of such files

Why fail closed: a scanner that is down must not quietly let every file through; an operator
who prefers availability says so with the setting, and each file that passed unscanned is in
the log.
"""

from __future__ import annotations

import logging

from mediagate.errors import ErrorReason, MediagateError, Rejected
from mediagate.pipeline.upload import Examined
from mediagate.reasons import Finding, Reason
from mediagate.scanning.clamd import Clamd, ScanFailed

log = logging.getLogger(__name__)

# When a caller may try again after the scanner gave no verdict: long enough for a restarted
# clamd to load its databases (seconds with a small database, up to a minute with the full one).
RETRY_AFTER_SECONDS = 5.0


class ScanStep:
    """A FinishStep (pipeline/finish.py) that asks clamd about examined.spool."""

    judges_only = True

    def __init__(self, scanner: Clamd, fail_open: bool = False) -> None:
        self._scanner = scanner
        self._fail_open = fail_open
        # Files accepted without a verdict since start (fail open only); logged with each.
        self.unscanned = 0

    async def __call__(self, examined: Examined) -> None:
        assert examined.spool is not None  # accepted: the whole file arrived
        try:
            result = await self._scanner.scan_file(examined.spool.path)
        except ScanFailed as failed:
            self._no_verdict(examined, failed)
            return
        if result.infected:
            log.info(
                "malware refused: %s (sha256 %s, %d bytes)",
                result.signature,
                examined.sha256,
                examined.size,
            )
            raise Rejected(
                [
                    Finding(
                        Reason.MALWARE,
                        f"The malware scanner found {result.signature}.",
                        {"signature": result.signature},
                    )
                ]
            )

    def _no_verdict(self, examined: Examined, failed: ScanFailed) -> None:
        if self._fail_open:
            self.unscanned += 1
            log.warning(
                "scan skipped (fail open, why=%s): sha256 %s accepted unscanned; %d file(s) "
                "unscanned since start; %s",
                failed.why.value,
                examined.sha256,
                self.unscanned,
                failed.message,
            )
            return
        log.warning("scan failed (why=%s), upload refused: %s", failed.why.value, failed.message)
        raise MediagateError(
            ErrorReason.SCANNER_UNAVAILABLE,
            "The malware scanner gave no verdict on this file, so it was not kept; "
            "try again later.",
            {"why": failed.why.value},
            retry_after_seconds=RETRY_AFTER_SECONDS,
        )
