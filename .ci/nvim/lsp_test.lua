-- The real-client test of `idpc lsp` (.ci/check-lsp): Neovim's built-in LSP
-- client, headless, with the 0.7 API Debian 12 ships (vim.lsp.start_client,
-- buf_attach_client, buf_request_sync, vim.diagnostic.get, vim.wait).
-- Environment: IDPC (the binary), PROGRAM (app.idp beside serverless.yml),
-- MESSY (a badly laid-out program). Any failure exits non-zero (:cquit).

local WAIT = 120000 -- a hang watchdog (ms), not a speed claim

local function fail(message)
  io.stderr:write('check-lsp: FAIL: ' .. message .. '\n')
  vim.cmd('cquit 1')
end

local function check(ok, message)
  if not ok then
    error(message, 2)
  end
end

local function ok(message)
  io.stdout:write('check-lsp: ok: ' .. message .. '\n')
end

local function request(buf, method, params)
  local answers, err = vim.lsp.buf_request_sync(buf, method, params, WAIT)
  check(answers ~= nil, method .. ': no answer (' .. tostring(err) .. ')')
  for _, answer in pairs(answers) do
    check(answer.err == nil, method .. ': ' .. vim.inspect(answer.err))
    return answer.result
  end
  error(method .. ': no client answered')
end

local function position(buf, line, character)
  return {
    textDocument = { uri = vim.uri_from_bufnr(buf) },
    position = { line = line, character = character },
  }
end

local function run()
  local idpc, program, messy = os.getenv('IDPC'), os.getenv('PROGRAM'), os.getenv('MESSY')
  check(idpc and program and messy, 'IDPC, PROGRAM and MESSY must be set')
  local client_id = vim.lsp.start_client({
    name = 'idpc',
    cmd = { idpc, 'lsp' },
    root_dir = vim.fn.fnamemodify(program, ':h'),
  })
  check(client_id, 'vim.lsp.start_client failed')

  -- Open the program: its diagnostics arrive, with their codes.
  vim.cmd('edit ' .. vim.fn.fnameescape(program))
  local buf = vim.api.nvim_get_current_buf()
  check(vim.lsp.buf_attach_client(buf, client_id), 'buf_attach_client failed')
  check(vim.wait(WAIT, function() return #vim.diagnostic.get(buf) > 0 end, 50), 'no diagnostics arrived')
  local diagnostic = vim.diagnostic.get(buf)[1]
  check(diagnostic.code == 'E0101', 'diagnostic code: ' .. vim.inspect(diagnostic))
  -- Line 5 (0-based 4) `    allow s3:GetObject on AttachmentBucket/...`, after a
  -- non-ASCII comment: Neovim's byte columns from the server's UTF-16 ones.
  check(diagnostic.lnum == 4 and diagnostic.col == 26, 'diagnostic place: ' .. vim.inspect(diagnostic))
  ok('diagnostics: ' .. diagnostic.code .. ' at line ' .. (diagnostic.lnum + 1))

  -- Fix it: the error goes away (no stale diagnostics).
  local line = vim.api.nvim_buf_get_lines(buf, 4, 5, true)[1]
  local fixed = line:gsub('AttachmentBucket', 'AttachmentsBucket')
  vim.api.nvim_buf_set_lines(buf, 4, 5, true, { fixed })
  local cleared = vim.wait(WAIT, function()
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      if d.code == 'E0101' then return false end
    end
    return true
  end, 50)
  check(cleared, 'E0101 still shown after the fix')
  ok('diagnostics cleared after the fix')

  -- Hover on the action.
  local hover = request(buf, 'textDocument/hover', position(buf, 4, 12))
  check(hover and hover.contents and hover.contents.value:find('access level **Read**', 1, true),
    'hover: ' .. vim.inspect(hover))
  ok('hover on s3:GetObject')

  -- Completion after `s3:` on a new line of the role.
  vim.api.nvim_buf_set_lines(buf, 5, 5, true, { '    allow s3:' })
  local completion = request(buf, 'textDocument/completion', position(buf, 5, 13))
  local items = completion.items or completion
  local found = false
  for _, item in ipairs(items) do
    if item.label == 's3:GetObject' then found = true end
  end
  check(found, 'completion after s3: lacks s3:GetObject (' .. #items .. ' items)')
  ok('completion after s3: (' .. #items .. ' items)')
  vim.api.nvim_buf_set_lines(buf, 5, 6, true, {})

  -- Definition: jump into serverless.yml.
  local definition = request(buf, 'textDocument/definition', position(buf, 4, 30))
  check(definition ~= nil, 'no definition')
  vim.lsp.util.jump_to_location(definition[1] or definition, 'utf-16')
  local name = vim.api.nvim_buf_get_name(0)
  local cursor = vim.api.nvim_win_get_cursor(0)
  check(name:match('serverless%.yml$'), 'definition went to ' .. name)
  check(cursor[1] == 7, 'definition went to line ' .. cursor[1] .. ' of serverless.yml')
  ok('definition jumps to serverless.yml:' .. cursor[1])

  -- Formatting a badly laid-out program.
  vim.cmd('edit ' .. vim.fn.fnameescape(messy))
  local messy_buf = vim.api.nvim_get_current_buf()
  check(vim.lsp.buf_attach_client(messy_buf, client_id), 'buf_attach_client (messy) failed')
  vim.lsp.buf.formatting_sync(nil, WAIT)
  local text = table.concat(vim.api.nvim_buf_get_lines(messy_buf, 0, -1, true), '\n')
  local expected = table.concat({
    'use bucket B',
    'identity_pool P {',
    '  authenticated role {',
    '    allow s3:GetObject on B/*',
    '  }',
    '}',
  }, '\n')
  check(text == expected, 'formatted:\n' .. text)
  ok('formatting')

  vim.lsp.stop_client(client_id)
  vim.wait(WAIT, function() return vim.lsp.get_client_by_id(client_id) == nil end, 50)
end

local success, err = pcall(run)
if not success then
  fail(tostring(err))
else
  vim.cmd('qall!')
end
