//! The `fig(…)` calls of a narrative file: which figure each one names and where, found with
//! Typst's own parser, so a `fig(` in a comment, a string or raw text is not taken for a call.
//!
//! Only what is written in the file is read here; whether the figure, incident or month exists is
//! checked against the data in [`crate::cite`].

use typst::syntax::{LinkedNode, SyntaxKind, ast};

use crate::diagnostic::line_column;

/// The name of the narrative function that writes a figure in place.
pub const FIG: &str = "fig";

/// One argument of a `fig` call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arg {
    /// The parameter's name (`incident`, `unit`, …); `None` for the positional figure key.
    pub name: Option<String>,
    /// The value when it is written as a string literal; `None` when it is computed (a variable,
    /// an expression), which only Typst can know.
    pub value: Option<String>,
    /// The 1-based line of the value.
    pub line: usize,
    /// The 1-based column (in characters) of the value.
    pub column: usize,
}

/// A `fig(…)` call in a narrative file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FigCall {
    /// The narrative file, relative to the report folder.
    pub file: String,
    /// The 1-based line of the call.
    pub line: usize,
    /// The 1-based column of the call (its `#` when there is one).
    pub column: usize,
    /// The arguments, in the order written.
    pub args: Vec<Arg>,
}

impl FigCall {
    /// The positional argument: the figure's key.
    pub fn key(&self) -> Option<&Arg> {
        self.args.iter().find(|a| a.name.is_none())
    }

    /// The named argument `name`.
    pub fn named(&self, name: &str) -> Option<&Arg> {
        self.args.iter().find(|a| a.name.as_deref() == Some(name))
    }
}

/// Every `fig(…)` call in `text`, the narrative file `file`.
pub fn fig_calls(file: &str, text: &str) -> Vec<FigCall> {
    let root = typst::syntax::parse(text);
    let mut found = Vec::new();
    visit(&LinkedNode::new(&root), &mut |node| {
        if let Some(call) = fig_call(file, text, node) {
            found.push(call);
        }
    });
    found
}

/// Calls `f` on `node` and every node below it.
fn visit(node: &LinkedNode, f: &mut impl FnMut(&LinkedNode)) {
    f(node);
    for child in node.children() {
        visit(&child, f);
    }
}

/// The `fig` call at `node`, if it is one.
fn fig_call(file: &str, text: &str, node: &LinkedNode) -> Option<FigCall> {
    let call = node.cast::<ast::FuncCall>()?;
    let ast::Expr::Ident(callee) = call.callee() else { return None };
    if callee.get().as_str() != FIG {
        return None;
    }
    let args = node.children().find(|c| c.kind() == SyntaxKind::Args)?;
    // Point at the `#` that starts the call in markup.
    let start = node.prev_leaf().filter(|l| l.kind() == SyntaxKind::Hash).map_or(node.offset(), |l| l.offset());
    let (line, column) = line_column(text, start);
    Some(FigCall {
        file: file.to_string(),
        line,
        column,
        args: args.children().filter_map(|a| arg(text, &a)).collect(),
    })
}

/// One argument of a call's argument list (`None` for the parentheses and commas).
fn arg(text: &str, node: &LinkedNode) -> Option<Arg> {
    let (name, value) = match node.kind() {
        SyntaxKind::Named => {
            let name = node.children().find(|c| c.kind() == SyntaxKind::Ident)?.get().leaf_text().to_string();
            let value = node.children().filter(|c| !c.kind().is_trivia()).last()?;
            (Some(name), value)
        }
        kind if kind.is_trivia()
            || matches!(kind, SyntaxKind::LeftParen | SyntaxKind::RightParen | SyntaxKind::Comma) =>
        {
            return None;
        }
        _ => (None, node.clone()),
    };
    let (line, column) = line_column(text, value.offset());
    let value = value.cast::<ast::Str>().map(|s| s.get().to_string());
    Some(Arg { name, value, line, column })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_calls_with_their_arguments_and_places() {
        let text = "= Title\nЗадержаны #fig(\"detained\", incident: \"2012-02-25-rally\", unit: \"people\").\n";
        let calls = fig_calls("sections/02.typ", text);
        assert_eq!(calls.len(), 1);
        let call = &calls[0];
        assert_eq!((call.line, call.column), (2, 11));
        assert_eq!(call.key().and_then(|a| a.value.as_deref()), Some("detained"));
        let incident = call.named("incident").unwrap();
        assert_eq!((incident.value.as_deref(), incident.line, incident.column), (Some("2012-02-25-rally"), 2, 38));
        assert_eq!(call.named("unit").and_then(|a| a.value.as_deref()), Some("people"));
    }

    #[test]
    fn comments_strings_and_other_functions_are_not_calls() {
        let text = "// #fig(\"x\")\n`#fig(\"y\")` #config(\"z\") #my-fig(\"w\")\n#let v = \"fig(\"\n";
        assert!(fig_calls("a.typ", text).is_empty());
    }

    proptest::proptest! {
        #[test]
        fn any_text_is_read_without_panic(text in "(#fig\\(|\"|[a-z0-9~ ,:.()\\[\\]#/*$`\n\u{444}\u{202f}])*") {
            let _ = fig_calls("a.typ", &text);
            let _ = crate::input::literal::literals("a.typ", &text);
        }
    }

    #[test]
    fn a_computed_argument_has_no_value() {
        let calls = fig_calls("a.typ", "#let id = \"x\"\n#fig(\"detained\", incident: id)");
        assert_eq!(calls[0].named("incident").map(|a| a.value.clone()), Some(None));
    }
}
