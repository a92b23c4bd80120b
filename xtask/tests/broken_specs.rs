//! A broken spec or a stale fix gives a clear error naming the file and the place, never a panic.

use xtask::{Error, Inputs};

fn committed() -> Inputs {
    Inputs::read(&xtask::workspace_root()).expect("spec/ is readable")
}

/// The committed inputs with the reference page's transcription edited.
fn with_spec(edit: impl FnOnce(&str) -> String) -> Inputs {
    let mut inputs = committed();
    if let Some(text) = inputs.spec_mut(xtask::SPEC) {
        *text = edit(text);
    }
    inputs
}

fn with_fixes(fixes: &str) -> Inputs {
    let mut inputs = committed();
    inputs.fixes = fixes.to_owned();
    inputs
}

fn error(inputs: &Inputs) -> (Error, String) {
    let err = xtask::render(inputs).expect_err("generation must fail");
    let text = err.to_string();
    (err, text)
}

#[test]
fn the_committed_spec_generates() {
    let outputs = xtask::render(&committed()).expect("generates");
    assert_eq!(outputs.len(), 2);
}

#[test]
fn bad_yaml_names_the_file_line_and_column() {
    let inputs = with_spec(|s| s.replacen("paths:\n", "paths:\n  - [unclosed\n", 1));
    let (err, text) = error(&inputs);
    assert!(matches!(err, Error::Yaml { .. }), "{err:?}");
    assert!(
        text.starts_with("spec/premium-professional-support-services.yaml: "),
        "{text}"
    );
    assert!(text.contains("line "), "{text}");
}

#[test]
fn a_missing_operation_id_names_the_operation() {
    let inputs = with_spec(|s| {
        s.replacen(
            "      operationId: ShowPremiumProfessionalSupportService\n",
            "",
            1,
        )
    });
    let (err, text) = error(&inputs);
    assert!(matches!(err, Error::Spec { .. }), "{err:?}");
    assert!(
        text.contains("paths./v1/premium-professional-support-services/{id}.get"),
        "{text}"
    );
    assert!(text.contains("no operationId"), "{text}");
}

#[test]
fn a_duplicate_operation_id_is_refused() {
    let inputs = with_spec(|s| {
        s.replacen(
            "operationId: ShowPremiumProfessionalSupportService",
            "operationId: ListPremiumProfessionalSupportServices",
            1,
        )
    });
    let (_, text) = error(&inputs);
    assert!(text.contains("already used"), "{text}");
}

#[test]
fn openapi_3_1_is_refused_by_name() {
    let inputs = with_spec(|s| s.replacen("openapi: 3.0.3", "openapi: 3.1.0", 1));
    let (_, text) = error(&inputs);
    assert!(text.contains("OpenAPI 3.1.0 is not supported"), "{text}");
    assert!(text.contains("at `openapi`"), "{text}");
}

#[test]
fn a_spec_that_is_not_openapi_names_the_place() {
    let inputs = with_spec(|s| s.replacen("  title: Premium", "  titel: Premium", 1));
    let (err, text) = error(&inputs);
    assert!(matches!(err, Error::Yaml { .. }), "{err:?}");
    assert!(text.contains("title"), "{text}");
}

#[test]
fn a_fix_whose_erratum_was_corrected_upstream_fails_by_name() {
    // Upstream corrects the id pattern: the fix's `test` no longer matches.
    let inputs = with_spec(|s| s.replacen("pattern: ^X[0-9]{12}$", "pattern: ^F[0-9]{12}$", 1));
    let (err, text) = error(&inputs);
    assert!(matches!(err, Error::Fix(_)), "{err:?}");
    assert!(
        text.contains("spec/fixes.yaml: fix `id-pattern-starts-with-f` no longer applies"),
        "{text}"
    );
    assert!(text.contains("found \"^F[0-9]{12}$\""), "{text}");
}

#[test]
fn a_fix_whose_target_is_gone_fails_by_name() {
    // Upstream drops the enum: removing it is no longer possible.
    let inputs = with_spec(|s| {
        s.replacen(
            "      enum:\n        - Processing\n        - Completed\n",
            "",
            1,
        )
    });
    let (_, text) = error(&inputs);
    assert!(
        text.contains("fix `operation-status-is-open` no longer applies"),
        "{text}"
    );
    assert!(
        text.contains("remove /components/schemas/OperationStatus/enum"),
        "{text}"
    );
}

#[test]
fn a_fix_that_would_overwrite_an_upstream_addition_fails_by_name() {
    // Upstream documents error bodies itself: the fix's `add` would silently overwrite them.
    let inputs = with_spec(|s| {
        s.replacen(
            "        \"401\":\n          description: Unauthorized 認証エラー\n",
            "        \"401\":\n          description: Unauthorized 認証エラー\n          content:\n            application/json: {}\n",
            1,
        )
    });
    let (_, text) = error(&inputs);
    assert!(
        text.contains("fix `error-bodies-are-kept` no longer applies"),
        "{text}"
    );
    assert!(text.contains("already exists"), "{text}");
}

#[test]
fn fixes_need_an_id_a_reason_and_operations() {
    let (_, text) = error(&with_fixes(
        "- id: x\n  reason: ''\n  patch: [{op: remove, path: /x}]\n",
    ));
    assert!(text.contains("fix `x`: the fix gives no reason"), "{text}");
    let (_, text) = error(&with_fixes("- id: x\n  reason: r\n  patch: []\n"));
    assert!(text.contains("no operations"), "{text}");
    let (_, text) = error(&with_fixes(
        "- id: x\n  reason: r\n  patch: [{op: frobnicate, path: /x}]\n",
    ));
    assert!(text.starts_with("spec/fixes.yaml: "), "{text}");
    assert!(text.contains("frobnicate"), "{text}");
}

#[test]
fn a_generator_panic_becomes_an_error() {
    // progenitor asserts one body type per response class: a JSON 400 next to raw ones panics.
    let mut inputs = committed();
    inputs.fixes.push_str(
        "\n- id: json-error\n  reason: test\n  patch:\n    - op: replace\n      path: \"/paths/~1v1~1premium-professional-support-services/get/responses/400/content\"\n      value: {application/json: {schema: {type: object}}}\n",
    );
    let (err, text) = error(&inputs);
    assert!(matches!(err, Error::Generator { .. }), "{err:?}");
    assert!(text.contains("the generator panicked"), "{text}");
}

#[test]
fn transcriptions_that_define_the_same_thing_differently_are_refused() {
    let mut inputs = committed();
    if let Some(text) = inputs.spec_mut(xtask::OPERATION_SPEC) {
        text.push_str("    Menu:\n      type: integer\n");
    }
    let (err, text) = error(&inputs);
    assert!(matches!(err, Error::Spec { .. }), "{err:?}");
    assert!(
        text.starts_with("spec/operation.yaml: at `/components/schemas/Menu`"),
        "{text}"
    );
    assert!(
        text.contains(
            "also defined, differently, in spec/premium-professional-support-services.yaml"
        ),
        "{text}"
    );
}

#[test]
fn a_bad_operation_transcription_names_its_own_file() {
    let mut inputs = committed();
    if let Some(text) = inputs.spec_mut(xtask::OPERATION_SPEC) {
        *text = text.replacen("      operationId: ShowOperation\n", "", 1);
    }
    let (_, text) = error(&inputs);
    assert!(
        text.starts_with("spec/operation.yaml: at `paths./v1/operations/{operation-id}.get`"),
        "{text}"
    );
}
