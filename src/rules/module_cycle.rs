//! `module-cycle`: local modules that call each other in a loop.

use super::{declare_rule, Context, Rule, RuleMeta};
use crate::finding::Finding;

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
            let path: Vec<String> = cycle
                .steps
                .iter()
                .map(|(m, _)| format!("`{}`", cx.ws.module(*m).display))
                .chain(
                    cycle
                        .steps
                        .first()
                        .map(|(m, _)| format!("`{}`", cx.ws.module(*m).display)),
                )
                .collect();
            // Report at the first step in a module that was named for
            // checking, so the finding is not filtered away.
            let first = cycle
                .steps
                .iter()
                .position(|(m, _)| cx.ws.module(*m).target)
                .unwrap_or(0);
            let (m, ci) = cycle.steps[first];
            let module = cx.ws.module(m);
            let call = &module.config.module_calls[ci];
            let mut f = cx
                .finding(
                    call.header.clone(),
                    format!(
                        "module \"{}\" is part of a module-call cycle: {}",
                        call.name,
                        path.join(" -> ")
                    ),
                )
                .in_module(&module.display)
                .with_help(
                    "a module cannot call itself directly or through other modules; move the \
                     shared part into a separate module that both can call",
                );
            for (i, (m, ci)) in cycle.steps.iter().enumerate() {
                if i == first {
                    continue;
                }
                let module = cx.ws.module(*m);
                let call = &module.config.module_calls[*ci];
                f = f.with_label(
                    call.header.clone(),
                    format!("`{}` calls back here", module.display),
                );
            }
            out.push(f);
        }
    }
}
