"""``chooser trial --scaling-estimate [--bandwidth 25] [--json]``: measure all-reduces and a
training step here, fit the ring all-reduce model, ESTIMATE scaling efficiency on N nodes ×
G GPUs, and check the model against a short distributed trial measured now (docs/trials.md,
"Cluster scaling estimate")."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys


def run_scaling_estimate(args: argparse.Namespace) -> int:
    from chooser.cli.trial import bandwidths
    from chooser.core.errors import UserError
    from chooser.measure.data_check import check_data
    from chooser.measure.scaling_estimate import BANDWIDTHS_GBPS
    from chooser.pipeline import estimate

    if args.suite is not None or args.mode != "single":
        raise UserError("--scaling-estimate runs on its own (no --suite, no --mode)")
    if args.data is not None:
        check_data(args.data)
    gbps = bandwidths(args) or list(BANDWIDTHS_GBPS)
    view = None
    if not args.json:
        from chooser.views.trials import TrialProgress

        view = TrialProgress()
    try:
        if view is not None:
            with view:
                view.start("scaling_estimate")
                made, trials = asyncio.run(
                    estimate.standalone(
                        data=args.data,
                        device=args.device,
                        on_event=view.on_event,
                        bandwidths_gbps=gbps,
                    )
                )
        else:
            made, trials = asyncio.run(
                estimate.standalone(data=args.data, device=args.device, bandwidths_gbps=gbps)
            )
    except KeyboardInterrupt:  # the running child's process group is already killed
        return 130
    if args.json:
        sys.stdout.write(json.dumps({"scaling_estimate": made, "results": trials}, indent=2) + "\n")
    else:
        from chooser.views.beyond import print_beyond
        from chooser.views.trials import print_results

        if trials:  # the validation's own trials, with their busy warnings
            print_results(trials)
        print_beyond(trials, scaling_estimate=made)
    return 0 if made.get("status") == "ok" else 1
