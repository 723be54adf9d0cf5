" Vim syntax file for the .idp programs of idpc (editors/neovim/README.md).
" A small cousin of the VS Code extension's TextMate grammar: keywords,
" actions, condition keys, resource paths, strings and their variables,
" comments and `# idpc: allow(...)` suppressions.
if exists('b:current_syntax')
  finish
endif

syntax iskeyword @,48-57,_

syntax keyword idpDeclaration use identity_pool role managed_policy output expect
syntax keyword idpEffect allow deny
syntax keyword idpKeyword on when if of as by via only cannot isolated name provider client
syntax keyword idpKeyword server_side_token_check authenticated unauthenticated policy classic_flow
syntax keyword idpKeyword tag map token rules otherwise principal_tags default boundary parameter
syntax keyword idpKeyword condition attachment deletion_policy update_replace_policy depends_on
syntax keyword idpKeyword metadata role_name description max_session_duration path export
syntax keyword idpKeyword guests signed_in anyone user_pool google facebook amazon apple twitter
syntax keyword idpKeyword oidc saml developer
syntax keyword idpOperator and or not like ip is exists starts_with any all
" `contains` is an argument of :syntax keyword, so a match.
syntax match idpOperator /\<contains\>/
syntax keyword idpConstant true false retain delete retain_except_on_create
syntax keyword idpConstant list read write tagging permissions
syntax keyword idpKind user_pool_client bucket table rest_api http_api function topic queue stream
syntax keyword idpKind graphql_api state_machine secret key log_group event_bus place_index
syntax keyword idpKind oidc_provider saml_provider

" The name a pool, role, managed policy or output is declared by.
syntax match idpName /\%(\<\%(identity_pool\|role\|managed_policy\|output\)\s\+\)\@<=\%(if\>\)\@![A-Za-z][A-Za-z0-9]*/
syntax match idpNumber /\<\d\+\>/
syntax match idpAction /\<[a-z][a-z0-9-]*:[A-Za-z0-9*?]\+/
" Defined after idpAction, so it wins where both match: a key is told by the operator after it.
syntax match idpConditionKey /\<[A-Za-z0-9._-]\+:[A-Za-z0-9\/_.:@-]\+\ze\s*\%(==\|!=\|<\|>\|\<\%(like\|not\|ip\|exists\|is\|contains\|starts_with\)\>\)/
syntax match idpPath /\<[A-Za-z][A-Za-z0-9]*\/\%([A-Za-z0-9\/*?._=+@~!:%&'|^-]\|\$<[^>]*>\)*/ contains=idpPolicyVar
syntax match idpPolicyVar /\$<[A-Za-z0-9:\/._-]\+>/ contained containedin=idpString
syntax match idpServerlessVar /\${[^}"]*}/ contained
syntax match idpReference /\$([^)"]*)/ contained
syntax match idpEscape /\\["\\n]/ contained
syntax region idpString start=/"/ skip=/\\./ end=/"\|$/ contains=idpEscape,idpPolicyVar,idpServerlessVar,idpReference
syntax match idpSuppression /idpc:\s*allow([^)]*)/ contained
syntax match idpComment /#.*$/ contains=idpSuppression,@Spell

highlight default link idpComment Comment
highlight default link idpSuppression PreProc
highlight default link idpDeclaration Keyword
highlight default link idpEffect Statement
highlight default link idpKeyword Keyword
highlight default link idpOperator Operator
highlight default link idpConstant Constant
highlight default link idpKind Type
highlight default link idpName Identifier
highlight default link idpNumber Number
highlight default link idpAction Function
highlight default link idpConditionKey Special
highlight default link idpPath String
highlight default link idpPolicyVar Special
highlight default link idpServerlessVar PreProc
highlight default link idpReference Identifier
highlight default link idpEscape SpecialChar
highlight default link idpString String

let b:current_syntax = 'idp'
