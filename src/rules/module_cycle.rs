//! `module-cycle`: local modules that call each other in a loop.

use super::{declare_rule, Context, Rule, RuleMeta};
use crate::finding::Finding;
use crate::model::ModuleId;

declare_rule! {
    ModuleCycle, "module-cycle", Correctness,
    "local modules that call each other in a loop, which Terraform cannot install"
}

impl Rule for ModuleCycle {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Finding>) {
        for cycle in &cx.ws.cycles {
            let name = |m: ModuleId| format!("`{}`", cx.ws.module(m).display);
            let mut path: Vec<String> = cycle.steps.iter().map(|(m, _)| name(*m)).collect();
            let left_out = cycle.len - cycle.steps.len();
            if left_out > 0 {
                path.push(format!("{left_out} more modules"));
            }
            path.extend(cycle.steps.first().map(|(m, _)| name(*m)));
            // Reported at the first step whatever the run named; the
            // other steps are labels, so a run naming any of their
            // modules reports it too.
            let Some(&anchor) = cycle.steps.first() else {
                continue;
            };
            let (m, ci) = anchor;
            let module = cx.ws.module(m);
            let call = &module.config.module_calls[ci];
            let mut f = cx
                .finding(
                    call.header.clone(),
                    format!(
                        "{} is part of a module-call cycle: {}",
                        call.label(),
                        path.join(" -> ")
                    ),
                )
                .in_module(&module.display)
                .about(call.address())
                .with_help(
                    "a module cannot call itself directly or through other modules; move the \
                     shared part into a separate module that both can call",
                );
            for &(m, ci) in &cycle.steps {
                if (m, ci) == anchor {
                    continue;
                }
                let module = cx.ws.module(m);
                let call = &module.config.module_calls[ci];
                f = f.with_label(
                    call.header.clone(),
                    format!("`{}` calls back here", module.display),
                );
            }
            if left_out > 0 {
                f = f.with_help_note(format_args!(
                    "the cycle has {} calls, and the first {} are shown",
                    cycle.len,
                    cycle.steps.len()
                ));
            }
            out.push(f);
        }
    }
}
